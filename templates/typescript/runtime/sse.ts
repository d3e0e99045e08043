/**
 * A parser for `text/event-stream` following the WHATWG HTML "event stream
 * interpretation" rules exactly (a port of `interactor/src/sse.rs`). It
 * does no I/O: feed it bytes in chunks of any size and take the events out.
 *
 * Parsing never fails: invalid UTF-8 becomes U+FFFD, unknown fields are
 * ignored, and an event cut off by the end of the stream is discarded. The
 * result does not depend on how the input is split into chunks (a CR ending
 * one chunk and an LF starting the next are one line ending; a BOM may
 * arrive one byte at a time).
 *
 * Hand-written rather than a dependency: the standard's rules are short,
 * the parser must work in browsers and Node alike, and resuming needs
 * control over the last event id that `EventSource` does not give
 * (`EventSource` also cannot send an `Authorization` header).
 */

/** One dispatched event. */
export interface SseEvent {
  /** The `event:` field, `"message"` when absent. */
  event: string;
  /** The `data:` lines joined with LF. */
  data: string;
  /** The last event id in force when it was dispatched, if any. */
  id: string | undefined;
  /** A `retry:` value seen since the previous event, in ms. */
  retry: number | undefined;
}

const BOM = [0xef, 0xbb, 0xbf];
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** The WHATWG event-stream parser. */
export class SseParser {
  private line: number[] = [];
  private bomChecked = false;
  private skipLf = false;
  private data: string[] = [];
  private hasData = false;
  private eventType = "";
  private idBuffer: string;
  private lastId: string;
  private retryMs: number | undefined;
  private pendingRetry: number | undefined;
  private readonly queue: SseEvent[] = [];

  /** A parser that resumes after `lastEventId` (empty: from the start). */
  constructor(lastEventId = "") {
    this.idBuffer = lastEventId;
    this.lastId = lastEventId;
  }

  /** Feeds the next bytes of the stream. */
  feed(chunk: Uint8Array): void {
    let start = 0;
    if (!this.bomChecked) {
      // `line` holds only a prefix of the BOM here.
      while (start < chunk.length && this.line.length < BOM.length) this.line.push(chunk[start++]!);
      const isPrefix = this.line.every((b, i) => b === BOM[i]);
      if (!isPrefix) {
        this.bomChecked = true;
        const held = Uint8Array.from(this.line);
        this.line = [];
        this.feedLines(held, 0);
      } else if (this.line.length === BOM.length) {
        this.bomChecked = true;
        this.line = [];
      } else {
        return;
      }
    }
    this.feedLines(chunk, start);
  }

  /** The next dispatched event, if any. */
  nextEvent(): SseEvent | undefined {
    return this.queue.shift();
  }

  /** Takes every dispatched event. */
  events(): SseEvent[] {
    return this.queue.splice(0, this.queue.length);
  }

  /** The last event id (the value to send as `Last-Event-ID`). */
  get lastEventId(): string {
    return this.lastId;
  }

  /** The latest `retry:` value, in ms. */
  get retry(): number | undefined {
    return this.retryMs;
  }

  /**
   * Prepares for a new connection: a partial line or event is discarded,
   * the last event id is kept, and a new BOM may come.
   */
  reconnect(): void {
    this.line = [];
    this.bomChecked = false;
    this.skipLf = false;
    this.data = [];
    this.hasData = false;
    this.eventType = "";
    this.idBuffer = this.lastId;
  }

  private feedLines(chunk: Uint8Array, from: number): void {
    let i = from;
    if (this.skipLf) {
      if (i >= chunk.length) return;
      if (chunk[i] === LF) i++;
      this.skipLf = false;
    }
    let lineStart = i;
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b !== LF && b !== CR) continue;
      let line: Uint8Array;
      if (this.line.length === 0) {
        line = chunk.subarray(lineStart, i);
      } else {
        for (let j = lineStart; j < i; j++) this.line.push(chunk[j]!);
        line = Uint8Array.from(this.line);
        this.line = [];
      }
      this.processLine(line);
      if (b === CR) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === LF) i++;
        } else {
          this.skipLf = true;
        }
      }
      lineStart = i + 1;
    }
    for (let j = lineStart; j < chunk.length; j++) this.line.push(chunk[j]!);
  }

  private processLine(line: Uint8Array): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    const colon = line.indexOf(COLON);
    if (colon === 0) return; // a comment
    let field: string;
    let value: Uint8Array;
    if (colon > 0) {
      field = decoder.decode(line.subarray(0, colon));
      value = line.subarray(colon + 1);
      if (value[0] === SPACE) value = value.subarray(1);
    } else {
      field = decoder.decode(line);
      value = new Uint8Array(0);
    }
    switch (field) {
      case "data":
        this.data.push(decoder.decode(value));
        this.hasData = true;
        break;
      case "event":
        this.eventType = decoder.decode(value);
        break;
      case "id":
        // An id containing NUL is ignored.
        if (!value.includes(0)) this.idBuffer = decoder.decode(value);
        break;
      case "retry":
        if (value.length > 0 && value.every((b) => b >= 0x30 && b <= 0x39)) {
          const ms = Number(decoder.decode(value));
          this.retryMs = ms;
          this.pendingRetry = ms;
        }
        break;
      default:
        break;
    }
  }

  private dispatch(): void {
    this.lastId = this.idBuffer;
    if (!this.hasData) {
      this.eventType = "";
      return;
    }
    const data = this.data.join("\n");
    this.data = [];
    this.hasData = false;
    const event = this.eventType === "" ? "message" : this.eventType;
    this.eventType = "";
    const retry = this.pendingRetry;
    this.pendingRetry = undefined;
    this.queue.push({ event, data, id: this.lastId === "" ? undefined : this.lastId, retry });
  }
}
