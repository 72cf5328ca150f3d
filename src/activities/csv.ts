/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces, quotes doubled.
 * A cell a spreadsheet would run as a formula (`=`, `@`, `+` or `-` not starting a number, a leading tab or CR) is
 * prefixed with `'`: member names are chosen by strangers, and an exported list is opened in Excel.
 */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=@\t\r]/.test(text) || /^[+-](?![\d\s().-]*$)/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 asks (Excel and every CSV reader accept it). */
export function csvRow(cells: ReadonlyArray<string | number | boolean | undefined | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
