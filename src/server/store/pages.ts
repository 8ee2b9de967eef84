// Long lists read from the database a page at a time.

/** Rows a page of a list reads at a time: memory stays bounded however long the list. */
export const PAGE_ROWS = 200;

/**
 * Pages of a list, `limit` rows at most. `page` reads up to `rows` rows after
 * `last`, the final row of the page before (undefined for the first page):
 * keyset paging, so each page is one index range.
 */
export async function* keysetPages<R>(page: (last: R | undefined, rows: number) => Promise<R[]>, limit = Number.MAX_SAFE_INTEGER): AsyncGenerator<R[]> {
  let left = limit;
  let last: R | undefined;
  while (left > 0) {
    const want = Math.min(PAGE_ROWS, left);
    const rows = await page(last, want);
    if (rows.length > 0) yield rows;
    if (rows.length < want) return;
    left -= rows.length;
    last = rows[rows.length - 1];
  }
}
