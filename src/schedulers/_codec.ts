/**
 * The binary codec of messages between schedulers (internal): a
 * {@linkcode Writer} appends values to a growable byte buffer (one per
 * destination scheduler), a {@linkcode Reader} reads them back from a byte
 * range, which may lie in shared memory — what it returns never aliases it.
 *
 * Each value is a one-byte tag and its fields, little-endian. The values a
 * message is made of most often are written by hand, without allocating:
 * `undefined`, `null`, booleans, int32 numbers (tag + 4 bytes), other
 * numbers (tag + float64, so NaN, -0 and the infinities survive), strings
 * (tag + u32 byte length + UTF-8; a string with a lone surrogate, which
 * UTF-8 cannot hold, goes as its UTF-16 code units), and beamlet's
 * identifiers {@linkcode Pid}, {@linkcode Ref} and {@linkcode From}, which
 * come back as instances equal to the originals (a pid is a value: one pid
 * in two places of a message comes back as two equal pids). Plain objects
 * and arrays made of those are written by hand too (up to 1024 entries and
 * 32 levels deep), as most messages are (`{ op: "add", n: 1, from: pid }`);
 * the short ASCII strings read are kept in a small cache, so that a key or a
 * node id read again is the same string, not a new one.
 *
 * Everything else (Map, Set, Date, RegExp, errors, typed arrays,
 * ArrayBuffer, DataView, BigInt; objects and arrays holding any of these,
 * bigger ones, cycles and shared references) is packed by msgpackr with its
 * structured-clone extensions, as tag + u32 length + msgpack. Extensions carry pids, refs and froms nested in such a
 * value (as instances), and errors: `name`, `message`, `stack`, `code` and
 * `cause` — and the errors of `src/errors.ts` that have a `fromJSON` revive
 * as their own class. A walk over the value first refuses what msgpackr
 * would silently change (a function, a symbol, an instance of a class
 * without a codec — msgpackr would send its fields as a plain object) with
 * an {@linkcode UnencodableError} naming where it is; and it finds the two
 * values msgpackr cannot hold (-0 and strings with lone surrogates), rare
 * enough that a value holding one is copied with markers in their place.
 *
 * What does not survive (mostly as with `structuredClone`): fields of an error
 * other than those above, holes of sparse arrays (read as `undefined`),
 * non-index properties of arrays, symbol-keyed and non-enumerable
 * properties; a lone surrogate in an object key becomes U+FFFD; a
 * null-prototype object comes back with `Object.prototype`; a
 * Node `Buffer` comes back as a `Uint8Array`; an own `__proto__` key comes
 * back as `__proto_` from msgpackr (its guard against prototype pollution),
 * as itself from the hand-written path.
 *
 * msgpackr's extensions are global to the JavaScript realm: loading this
 * module changes how any other msgpackr user of the realm packs errors,
 * pids, refs and froms (see `_codec_msgpackr.ts`).
 *
 * The codec lives in small files: `_codec_format.ts` (the tags and the
 * helpers both sides share), `_codec_writer.ts`, `_codec_reader.ts`,
 * `_codec_msgpackr.ts` (msgpackr's configuration and extensions) and
 * `_codec_check.ts` (the walk before msgpackr packs a value).
 *
 * @module
 */

export { Writer } from "./_codec_writer.ts";
export { Reader } from "./_codec_reader.ts";
