/**
 * Splits a watch stream (one JSON document per line, arriving in arbitrary chunks) into parsed
 * values. Keeps only the unfinished tail between chunks.
 */
export class LineDecoder {
  private readonly text = new TextDecoder('utf-8');
  private tail = '';

  /** Feeds one chunk; returns the complete documents it finished. */
  push(chunk: Uint8Array): unknown[] {
    const s = this.tail + this.text.decode(chunk, { stream: true });
    const out: unknown[] = [];
    let start = 0;
    for (;;) {
      const nl = s.indexOf('\n', start);
      if (nl < 0) break;
      const line = s.slice(start, nl);
      start = nl + 1;
      if (line.trim()) out.push(JSON.parse(line));
    }
    this.tail = start === 0 ? s : s.slice(start);
    return out;
  }

  /** The stream ended: parses a last document that had no newline. */
  end(): unknown[] {
    const rest = this.tail + this.text.decode();
    this.tail = '';
    return rest.trim() ? [JSON.parse(rest)] : [];
  }
}
