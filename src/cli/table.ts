/**
 * An ASCII-bordered table as sveltosctl prints them (olekukonko/tablewriter defaults): `+---+`
 * borders, header centred, cells left-aligned with one space of padding, multi-line cells split
 * over several lines.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const split = (s: string) => s.split('\n');
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => Math.max(...split(r[i] ?? '').map((l) => l.length)))),
  );
  const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const center = (s: string, w: number) => {
    const left = Math.floor((w - s.length) / 2);
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left);
  };
  const lines = [border, `|${headers.map((h, i) => ` ${center(h, widths[i])} `).join('|')}|`, border];
  for (const r of rows) {
    const cells = headers.map((_, i) => split(r[i] ?? ''));
    const height = Math.max(...cells.map((c) => c.length));
    for (let l = 0; l < height; l++)
      lines.push(`|${cells.map((c, i) => ` ${(c[l] ?? '').padEnd(widths[i])} `).join('|')}|`);
  }
  if (rows.length > 0) lines.push(border);
  return `${lines.join('\n')}\n`;
}
