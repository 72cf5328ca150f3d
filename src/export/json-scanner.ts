/**
 * A streaming JSON scanner: it validates every byte of a document fed to it in chunks, follows the containers its
 * handler asks for, and hands over the text of chosen values whole (to `JSON.parse` one at a time), so a file of
 * any size is read in constant memory and a syntax error or truncation is reported with its byte offset and what
 * was expected there.
 *
 * Bytes are handled as bytes: a captured value is decoded only once it is complete, so a multi-byte UTF-8
 * character split across two chunks is decoded correctly.
 */

/** Keys and array indexes leading from the root to a value. */
export type JsonPath = ReadonlyArray<string | number>;

/** What the scanner does with a value that starts: follow its contents, skip it, or capture its text. */
export const ScanAction = { descend: 0, skip: 1, capture: 2 } as const;
export type ScanAction = (typeof ScanAction)[keyof typeof ScanAction];

/** Decides what to do with each value the scanner follows and receives what it captures. */
export interface ScanHandler {
  /**
   * A value begins at `path` (inside a followed container, or the root). `firstByte` tells its kind (`{`, `[`, `"`,
   * a digit…). `descend` on a primitive captures it.
   */
  enter(path: JsonPath, firstByte: number, offset: number): ScanAction;
  /** The complete JSON text of a captured value, and the byte offset where it starts. */
  capture(json: string, offset: number, path: JsonPath): void;
  /** A followed container closed. `path` leads to it. */
  leave(path: JsonPath): void;
}

/** The document is not valid JSON at `offset`, or ends there (`found` undefined) before it is complete. */
export class JsonScanError extends Error {
  /** True when the input ended before the document was complete. */
  readonly truncated: boolean;

  constructor(
    readonly offset: number,
    readonly expected: string,
    readonly found: string | undefined,
    /** Path to the innermost followed, skipped or captured value around the error. */
    readonly path: JsonPath,
  ) {
    super(found === undefined ? `JSON ends at byte ${offset}: expected ${expected}` : `invalid JSON at byte ${offset}: expected ${expected}, found ${found}`);
    this.name = 'JsonScanError';
    this.truncated = found === undefined;
  }
}

const OBJ = 1;
const ARR = 2;
/** Deeper nesting than any export has; the bound keeps the container stack a fixed array. */
const MAX_DEPTH = 1024;

const S_VALUE = 0;
const S_ARR_FIRST = 1;
const S_OBJ_FIRST = 2;
const S_KEY = 3;
const S_COLON = 4;
const S_AFTER = 5;
const S_STR = 6;
const S_STR_ESC = 7;
const S_STR_U = 8;
const S_NUM_MINUS = 9;
const S_NUM_ZERO = 10;
const S_NUM_INT = 11;
const S_NUM_DOT = 12;
const S_NUM_FRAC = 13;
const S_NUM_E = 14;
const S_NUM_ESIGN = 15;
const S_NUM_EXP = 16;
const S_LIT = 17;
const S_END = 18;
/** Inside a skipped or captured container of trusted input: only strings and brackets are tracked. */
const S_FAST = 19;

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const ESCAPES = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPES[c.charCodeAt(0)] = 1;
const LITERALS: Record<number, Uint8Array> = {
  0x74: Buffer.from('true'),
  0x66: Buffer.from('false'),
  0x6e: Buffer.from('null'),
};
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Feed chunks with {@link JsonScanner.write}, then call {@link JsonScanner.end}. Handler callbacks run
 * synchronously inside `write`; a handler may call {@link JsonScanner.stop} to ignore the rest of the input.
 *
 * @example
 * const scanner = new JsonScanner(handler);
 * for await (const chunk of createReadStream(file)) scanner.write(chunk as Buffer);
 * scanner.end();
 */
export class JsonScanner {
  private state = S_VALUE;
  private readonly stack = new Uint8Array(MAX_DEPTH);
  private depth = 0;
  private readonly path: Array<string | number> = [];
  private readonly indexes: number[] = [];
  /** Depth of the container holding the value being skipped or captured; -1 while following. */
  private region = -1;
  private capturing = false;
  private capStart = 0;
  private capOffset = 0;
  private capPieces: Buffer[] = [];
  private isKey = false;
  private keyCapturing = false;
  private keyStart = 0;
  private keyPieces: Buffer[] = [];
  private keyEscaped = false;
  private lit: Uint8Array = LITERALS[0x74]!;
  private litPos = 0;
  private uLeft = 0;
  private base = 0;
  private stopped = false;
  private readonly trusted: boolean;
  private fastDepth = 0;
  private fastInString = false;
  private fastEscape = false;
  private fastNext = S_FAST;
  private readonly omitKey: Buffer | undefined;
  private readonly hexEscapes: boolean;
  /** 0: nothing; 1: the omitted key was just read (a `:` should follow); 2: inside its value. */
  private omitState = 0;
  private lastComma = -1;
  private omitCandidate = -1;
  private cutFrom = -1;
  private cutTo = -1;

  /**
   * @param opts.startOffset file offset of the first byte fed (after a skipped byte-order mark), so offsets stay
   *   file offsets.
   * @param opts.trusted the input was validated by an earlier pass: inside skipped and captured containers only
   *   strings and brackets are tracked, which is faster. Errors there go unnoticed.
   * @param opts.omitKey with `trusted`: leave this key (of a captured object itself, not of objects nested in it)
   *   out of the captured text, when the object lies within one chunk. Less to decode and parse when a field is
   *   large and not needed; the handler must not rely on it being absent.
   * @param opts.hexEscapes accept `\xHH` in strings, which is not JSON but what Telegram Desktop writes for control
   *   characters other than tab, CR and LF. The handler gets the text as it is (see {@link fixHexEscapes}).
   */
  constructor(
    private readonly handler: ScanHandler,
    opts: { startOffset?: number; trusted?: boolean; omitKey?: string; hexEscapes?: boolean } = {},
  ) {
    this.hexEscapes = opts.hexEscapes ?? false;
    this.base = opts.startOffset ?? 0;
    this.trusted = opts.trusted ?? false;
    this.omitKey = opts.omitKey !== undefined && this.trusted ? Buffer.from(opts.omitKey) : undefined;
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.base;
  }

  /** True once the handler asked to stop. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Ignore the rest of the input (the handler has what it needs). */
  stop(): void {
    this.stopped = true;
  }

  /** Scans the next chunk of the document. Throws {@link JsonScanError} at the first invalid byte. */
  write(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    let state = this.state;
    loop: while (i < n && !this.stopped) {
      let c = buf[i]!;
      if (state < S_STR && WS[c]) {
        // Pretty-printed exports are a quarter whitespace: skip runs of it without going through the switch.
        do {
          if (++i === n) break loop;
          c = buf[i]!;
        } while (WS[c]);
      }
      switch (state) {
        case S_FAST:
          i = this.fast(buf, i, n);
          state = this.fastNext;
          break;
        case S_STR: {
          // The hot loop: most bytes of an export are inside strings.
          while (c !== 0x22 && c !== 0x5c && c >= 0x20) {
            if (++i === n) break loop;
            c = buf[i]!;
          }
          if (c === 0x22) {
            i++;
            state = this.stringEnd(buf, i);
          } else if (c === 0x5c) {
            i++;
            state = S_STR_ESC;
            if (this.isKey) this.keyEscaped = true;
          } else {
            throw this.error(state, buf, i, 'a character or an escape (raw control characters are not allowed in a string)');
          }
          break;
        }
        case S_STR_ESC:
          if (c === 0x75) {
            this.uLeft = 4;
            state = S_STR_U;
          } else if (c === 0x78 && this.hexEscapes) {
            this.uLeft = 2;
            state = S_STR_U;
          } else if (ESCAPES[c]) {
            state = S_STR;
          } else {
            throw this.error(state, buf, i, 'an escape: one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
          }
          i++;
          break;
        case S_STR_U:
          if (!HEX[c]) throw this.error(state, buf, i, 'a hex digit of a \\uXXXX escape');
          if (--this.uLeft === 0) state = S_STR;
          i++;
          break;
        case S_AFTER:
          if (WS[c]) {
            i++;
          } else if (c === 0x2c) {
            state = this.stack[this.depth - 1] === OBJ ? S_KEY : S_VALUE;
            i++;
          } else if (c === 0x7d || c === 0x5d) {
            state = this.close(buf, i, c);
            i++;
          } else {
            throw this.error(state, buf, i, this.stack[this.depth - 1] === OBJ ? '`,` or `}`' : '`,` or `]`');
          }
          break;
        case S_VALUE:
        case S_ARR_FIRST:
          if (WS[c]) {
            i++;
          } else if (c === 0x5d && state === S_ARR_FIRST) {
            state = this.close(buf, i, c);
            i++;
          } else {
            state = this.startValue(buf, i, c, state);
            i++;
          }
          break;
        case S_OBJ_FIRST:
        case S_KEY:
          if (WS[c]) {
            i++;
          } else if (c === 0x22) {
            this.isKey = true;
            if (this.region < 0) {
              this.keyCapturing = true;
              this.keyStart = i + 1;
              this.keyPieces = [];
              this.keyEscaped = false;
            }
            state = S_STR;
            i++;
          } else if (c === 0x7d && state === S_OBJ_FIRST) {
            state = this.close(buf, i, c);
            i++;
          } else {
            throw this.error(state, buf, i, state === S_OBJ_FIRST ? 'a key in double quotes or `}`' : 'a key in double quotes');
          }
          break;
        case S_COLON:
          if (WS[c]) {
            i++;
          } else if (c === 0x3a) {
            state = S_VALUE;
            i++;
          } else {
            throw this.error(state, buf, i, '`:`');
          }
          break;
        case S_NUM_MINUS:
          if (c === 0x30) state = S_NUM_ZERO;
          else if (isDigit(c)) state = S_NUM_INT;
          else throw this.error(state, buf, i, 'a digit');
          i++;
          break;
        case S_NUM_INT:
          while (isDigit(c)) {
            if (++i === n) break loop;
            c = buf[i]!;
          }
          // After the integer part the same bytes may follow as after a lone zero: look at this byte again there.
          state = S_NUM_ZERO;
          break;
        case S_NUM_ZERO:
          if (c === 0x2e) {
            state = S_NUM_DOT;
            i++;
          } else if (c === 0x65 || c === 0x45) {
            state = S_NUM_E;
            i++;
          } else {
            state = this.valueDone(buf, i);
          }
          break;
        case S_NUM_DOT:
          if (!isDigit(c)) throw this.error(state, buf, i, 'a digit after the decimal point');
          state = S_NUM_FRAC;
          i++;
          break;
        case S_NUM_FRAC:
          if (isDigit(c)) {
            i++;
          } else if (c === 0x65 || c === 0x45) {
            state = S_NUM_E;
            i++;
          } else {
            state = this.valueDone(buf, i);
          }
          break;
        case S_NUM_E:
          if (c === 0x2b || c === 0x2d) state = S_NUM_ESIGN;
          else if (isDigit(c)) state = S_NUM_EXP;
          else throw this.error(state, buf, i, 'a digit or sign of an exponent');
          i++;
          break;
        case S_NUM_ESIGN:
          if (!isDigit(c)) throw this.error(state, buf, i, 'a digit of an exponent');
          state = S_NUM_EXP;
          i++;
          break;
        case S_NUM_EXP:
          if (isDigit(c)) i++;
          else state = this.valueDone(buf, i);
          break;
        case S_LIT:
          if (c !== this.lit[this.litPos]) throw this.error(state, buf, i, `\`${Buffer.from(this.lit).toString()}\``);
          i++;
          if (++this.litPos === this.lit.length) state = this.valueDone(buf, i);
          break;
        case S_END:
          if (!WS[c]) throw this.error(state, buf, i, 'the end of the file (the JSON document is complete)');
          i++;
          break;
      }
    }
    this.state = state;
    if (this.capturing) {
      this.capPieces.push(buf.subarray(this.capStart));
      this.capStart = 0;
    }
    if (this.keyCapturing) {
      this.keyPieces.push(buf.subarray(this.keyStart));
      this.keyStart = 0;
    }
    this.base += n;
  }

  /** Declares the input complete. Throws {@link JsonScanError} (truncated) when the document is not. */
  end(): void {
    if (this.stopped) return;
    const s = this.state;
    if (this.depth === 0 && (s === S_NUM_ZERO || s === S_NUM_INT || s === S_NUM_FRAC || s === S_NUM_EXP)) {
      this.state = this.valueDone(Buffer.alloc(0), 0);
    }
    if (this.state !== S_END) throw new JsonScanError(this.base, this.expectedAtEnd(), undefined, this.errorPath(this.state));
  }

  private startValue(buf: Buffer, i: number, c: number, from: number): number {
    let next: number;
    if (c === 0x7b) next = S_OBJ_FIRST;
    else if (c === 0x5b) next = S_ARR_FIRST;
    else if (c === 0x22) next = S_STR;
    else if (c === 0x2d) next = S_NUM_MINUS;
    else if (c === 0x30) next = S_NUM_ZERO;
    else if (isDigit(c)) next = S_NUM_INT;
    else if (LITERALS[c]) next = S_LIT;
    else throw this.error(from, buf, i, from === S_ARR_FIRST ? 'a value or `]`' : 'a value');

    if (this.region < 0) {
      const d = this.depth;
      if (d > 0 && this.stack[d - 1] === ARR) this.path[d - 1] = this.indexes[d - 1]!++;
      if (this.path.length !== d) this.path.length = d;
      const action = this.handler.enter(this.path, c, this.base + i);
      if (action !== ScanAction.descend || (next !== S_OBJ_FIRST && next !== S_ARR_FIRST)) {
        this.region = d;
        if (action !== ScanAction.skip) {
          this.capturing = true;
          this.capStart = i;
          this.capOffset = this.base + i;
          this.capPieces = [];
        }
        if (this.trusted && (next === S_OBJ_FIRST || next === S_ARR_FIRST)) {
          this.fastDepth = 1;
          this.fastInString = false;
          this.fastEscape = false;
          this.omitState = 0;
          this.lastComma = -1;
          this.cutFrom = -1;
          this.stack[this.depth++] = next === S_OBJ_FIRST ? OBJ : ARR;
          return S_FAST;
        }
      }
    }
    if (next === S_OBJ_FIRST || next === S_ARR_FIRST) {
      if (this.depth === MAX_DEPTH) throw this.error(S_AFTER, buf, i, `at most ${MAX_DEPTH} levels of nesting`);
      this.stack[this.depth] = next === S_OBJ_FIRST ? OBJ : ARR;
      this.indexes[this.depth] = 0;
      this.depth++;
    } else if (next === S_STR) {
      this.isKey = false;
    } else if (next === S_LIT) {
      this.lit = LITERALS[c]!;
      this.litPos = 1;
    }
    return next;
  }

  private stringEnd(buf: Buffer, i: number): number {
    if (!this.isKey) return this.valueDone(buf, i);
    if (this.keyCapturing) {
      this.keyCapturing = false;
      let raw: string;
      if (this.keyPieces.length === 0) {
        raw = buf.toString('utf8', this.keyStart, i - 1);
      } else {
        this.keyPieces.push(buf.subarray(0, i - 1));
        raw = Buffer.concat(this.keyPieces).toString('utf8');
        this.keyPieces = [];
      }
      this.path[this.depth - 1] = this.keyEscaped ? (JSON.parse(`"${raw}"`) as string) : raw;
    }
    return S_COLON;
  }

  private close(buf: Buffer, i: number, c: number): number {
    const want = c === 0x7d ? OBJ : ARR;
    if (this.stack[this.depth - 1] !== want) {
      throw this.error(S_AFTER, buf, i, this.stack[this.depth - 1] === OBJ ? '`,` or `}`' : '`,` or `]`');
    }
    this.depth--;
    if (this.region < 0) {
      if (this.path.length !== this.depth) this.path.length = this.depth;
      this.handler.leave(this.path);
    }
    return this.valueDone(buf, i + 1);
  }

  /** A value ended just before `end`: finish its region and say what may follow. */
  private valueDone(buf: Buffer, end: number): number {
    if (this.region === this.depth) {
      this.region = -1;
      if (this.capturing) {
        this.capturing = false;
        let text: string;
        if (this.capPieces.length === 0) {
          if (this.cutFrom < 0) {
            text = buf.toString('utf8', this.capStart, end);
          } else {
            // Usually only whitespace and the closing brace follow the omitted value: spare a second decode.
            let k = this.cutTo;
            while (k < end - 1 && WS[buf[k]!]) k++;
            text = buf.toString('utf8', this.capStart, this.cutFrom) + (k === end - 1 ? '}' : buf.toString('utf8', this.cutTo, end));
            this.cutFrom = -1;
          }
        } else {
          this.capPieces.push(buf.subarray(0, end));
          text = Buffer.concat(this.capPieces).toString('utf8');
          this.capPieces = [];
        }
        if (this.path.length !== this.depth) this.path.length = this.depth;
        this.handler.capture(text, this.capOffset, this.path);
      }
    }
    return this.depth === 0 ? S_END : S_AFTER;
  }

  /**
   * Trusted input, inside a skipped or captured container: moves to the bracket that closes it. Returns where it
   * stopped (the end of the chunk, or just past the region) and leaves the next state in `fastNext`.
   */
  private fast(buf: Buffer, i: number, n: number): number {
    let depth = this.fastDepth;
    let inString = this.fastInString;
    const omit = this.omitKey;
    let omitState = this.omitState;
    let lastComma = this.lastComma;
    if (this.fastEscape) {
      // The previous chunk ended with a backslash in a string: this first byte is the escaped one.
      this.fastEscape = false;
      i++;
    }
    while (i < n) {
      const c = buf[i]!;
      if (inString) {
        // Long strings (message texts) are found with memchr; a quote preceded by an odd run of backslashes is
        // escaped. Short ones (keys, types) cost less byte by byte than the call.
        const from = i;
        let q = -1;
        const shortEnd = i + 24 < n ? i + 24 : n;
        for (; i < shortEnd; i++) {
          const b = buf[i]!;
          if (b === 0x22) {
            q = i;
            break;
          }
          if (b === 0x5c) i++;
        }
        if (q < 0 && i < n) {
          for (;;) {
            q = buf.indexOf(0x22, i);
            if (q < 0) break;
            let k = q - 1;
            while (k >= from && buf[k] === 0x5c) k--;
            if ((q - 1 - k) % 2 === 0) break;
            i = q + 1;
          }
        }
        if (q < 0) {
          if (i > n) {
            this.fastEscape = true;
          } else {
            let k = n - 1;
            while (k >= from && buf[k] === 0x5c) k--;
            this.fastEscape = (n - 1 - k) % 2 === 1;
          }
          i = n;
          break;
        }
        if (omit !== undefined && depth === 1 && lastComma >= 0 && q - from === omit.length && buf.compare(omit, 0, omit.length, from, q) === 0) {
          omitState = 1;
          this.omitCandidate = lastComma;
        }
        i = q;
        inString = false;
      } else if (c === 0x22) {
        inString = true;
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          if (omitState === 2) this.cutAt(i);
          this.depth--;
          this.fastNext = this.valueDone(buf, i + 1);
          return i + 1;
        }
      } else if (depth === 1) {
        if (c === 0x2c) {
          // The omitted value runs from the comma before its key to the comma after it: cutting that keeps JSON.
          if (omitState === 2) this.cutAt(i);
          omitState = 0;
          lastComma = i;
        } else if (c === 0x3a && omitState === 1) {
          omitState = 2;
        }
      }
      i++;
    }
    this.fastDepth = depth;
    this.fastInString = inString;
    this.fastNext = S_FAST;
    // Cut positions are offsets in this chunk: an object that goes on in the next one is captured whole.
    this.omitState = 0;
    this.lastComma = -1;
    this.cutFrom = -1;
    return i;
  }

  private cutAt(end: number): void {
    this.cutFrom = this.omitCandidate;
    this.cutTo = end;
  }

  /** Path to the innermost value around the error: a skipped or captured value, a key's value, or the container. */
  private errorPath(state: number): JsonPath {
    if (this.region >= 0) return this.path.slice(0, this.region);
    const afterKey = state === S_COLON || (state === S_VALUE && this.stack[this.depth - 1] === OBJ);
    return this.path.slice(0, afterKey ? this.depth : Math.max(0, this.depth - 1));
  }

  private error(state: number, buf: Buffer, i: number, expected: string): JsonScanError {
    return new JsonScanError(this.base + i, expected, describeByte(buf[i]!), this.errorPath(state));
  }

  private expectedAtEnd(): string {
    const top = this.stack[this.depth - 1] === OBJ ? '`}`' : '`]`';
    switch (this.state) {
      case S_VALUE:
        return this.depth === 0 ? 'a JSON document (the file is empty)' : 'a value';
      case S_ARR_FIRST:
        return 'a value or `]`';
      case S_OBJ_FIRST:
        return 'a key in double quotes or `}`';
      case S_KEY:
        return 'a key in double quotes';
      case S_COLON:
        return '`:`';
      case S_STR:
      case S_STR_ESC:
      case S_STR_U:
        return 'the rest of a string and its closing `"`';
      case S_LIT:
        return `the rest of \`${Buffer.from(this.lit).toString()}\``;
      case S_NUM_MINUS:
      case S_NUM_DOT:
      case S_NUM_E:
      case S_NUM_ESIGN:
        return 'a digit';
      default:
        return `\`,\` or ${top}`;
    }
  }
}

function describeByte(c: number): string {
  if (c === 0) return 'a NUL byte (the end of the file may have been zero-filled)';
  if (c >= 0x21 && c < 0x7f) return `\`${String.fromCharCode(c)}\``;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

const HEX_ESCAPE = /\\(\\|x([0-9a-fA-F]{2}))/g;

/**
 * JSON text with Telegram Desktop's `\xHH` escapes turned into `\u00HH`, so `JSON.parse` reads it. Escaped
 * backslashes (`\\x` is a backslash and an x) are left alone.
 */
export function fixHexEscapes(json: string): string {
  if (!json.includes('\\x')) return json;
  return json.replace(HEX_ESCAPE, (all: string, _escape: string, hex: string | undefined) => (hex === undefined ? all : `\\u00${hex}`));
}
