/** A minimal protocol-buffers (proto3) writer: varints, length-delimited fields, doubles. */
const enc = new TextEncoder();

export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private varint(v: number): void {
    this.ensure(10);
    // Field numbers and lengths are small; int64 values here are non-negative and below 2^53.
    while (v > 0x7f) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  string(field: number, s: string | undefined): this {
    if (s === undefined || s === '') return this;
    return this.bytes(field, enc.encode(s));
  }

  strings(field: number, list: readonly string[] | undefined): this {
    for (const s of list ?? []) this.bytes(field, enc.encode(s));
    return this;
  }

  bool(field: number, b: boolean | undefined): this {
    if (!b) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }

  /** A bool written even when false (a `oneof` member, whose presence matters). */
  boolAlways(field: number, b: boolean): this {
    this.tag(field, 0);
    this.varint(b ? 1 : 0);
    return this;
  }

  int64(field: number, n: number | undefined): this {
    if (n === undefined || n === 0 || !Number.isInteger(n) || n < 0) return this;
    this.tag(field, 0);
    this.varint(n);
    return this;
  }

  double(field: number, n: number | undefined): this {
    if (n === undefined || n === 0) return this;
    this.tag(field, 1);
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, n, true);
    this.len += 8;
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** An embedded message, written by `fill` (always emitted, even when empty). */
  message(field: number, fill: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    fill(w);
    return this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
