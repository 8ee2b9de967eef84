'use strict'
// Stands in for undici's lib/dispatcher/client-h2.js in the bundle. The
// clients here never offer HTTP/2 (undici's allowH2 is off), so ALPN never
// selects it; leaving the module out keeps node:http2 and node:tls (about
// 70 ms of start-up) from loading with undici.
module.exports = function connectH2 () {
  throw new Error('HTTP/2 is not enabled in this build of the client')
}
