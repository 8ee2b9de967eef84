// Long lists as streamed JSON: the reply is written a page of rows at a time,
// as the client reads it, so neither the rows nor the text of a list of any
// length is held in memory at once. The bytes are those JSON.stringify gives
// for `{ items: [...], ...tail }`, what an original client expects.
import { Readable } from 'node:stream';

export function jsonList<R>(pages: AsyncIterable<R[]>, toJson: (row: R) => unknown, tail: Record<string, unknown> = {}): Readable {
  async function* text(): AsyncGenerator<string> {
    yield '{"items":[';
    let first = true;
    for await (const rows of pages) {
      let chunk = '';
      for (const row of rows) {
        chunk += (first ? '' : ',') + JSON.stringify(toJson(row));
        first = false;
      }
      yield chunk;
    }
    const rest = JSON.stringify(tail).slice(1, -1);
    yield rest ? `],${rest}}` : ']}';
  }
  return Readable.from(text(), { objectMode: false });
}
