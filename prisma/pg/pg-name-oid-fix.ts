// Workaround for prisma/orm#27403: @prisma/adapter-pg 6.19 throws "Column type 'name' could not be deserialized"
// (then 'char', 'regclass', ...) for catalog types it has no mapping for. The wasm schema engine's introspection
// returns such columns, and so would `$queryRaw` of e.g. current_database(). Importing this module relabels them
// as text (their arrays as text[]) inside pg, before the adapter sees the result. Idempotent.
import pg from 'pg'

const TEXT_OID = 25
const TEXT_ARRAY_OID = 1009

/** Catalog types read as text: char, name, int2vector, regproc, xid, oidvector, pg_node_tree, regclass, regtype. */
const AS_TEXT = new Set([18, 19, 22, 24, 28, 30, 194, 2205, 2206])
/** Their array types: _char, _name, _int2vector, _regproc, _xid, _oidvector, _regclass, _regtype. */
const AS_TEXT_ARRAY = new Set([1002, 1003, 1006, 1008, 1011, 1013, 2210, 2211])

function relabel(oid: number): number {
  if (AS_TEXT.has(oid)) return TEXT_OID
  if (AS_TEXT_ARRAY.has(oid)) return TEXT_ARRAY_OID
  return oid
}

interface TypeSource {
  getTypeParser: (oid: number, format?: string) => unknown
}
interface FieldLike {
  dataTypeID: number
}
interface ResultLike {
  fields?: FieldLike[]
}

function relabelFields(result: unknown): void {
  const results = Array.isArray(result) ? (result as ResultLike[]) : [result as ResultLike]
  for (const one of results)
    for (const field of one?.fields ?? []) field.dataTypeID = relabel(field.dataTypeID)
}

const PATCHED = Symbol.for('mqdeck.pgNameOidFix')
type QueryFn = (...args: unknown[]) => unknown
const proto = pg.Client.prototype as unknown as { query: QueryFn; [PATCHED]?: true }

if (!proto[PATCHED]) {
  const query = proto.query
  proto[PATCHED] = true
  proto.query = function patchedQuery(this: unknown, ...args: unknown[]): unknown {
    const [config] = args
    // Query objects (`submit`) stream their own way; only plain config objects and strings are handled here.
    if (config && typeof config === 'object' && 'submit' in config) return query.apply(this, args)
    if (config && typeof config === 'object' && 'types' in config) {
      const types = (config as { types?: TypeSource }).types
      if (types) {
        // The parser is picked per column when the row description arrives, so the OID is mapped there too.
        args[0] = {
          ...config,
          types: {
            getTypeParser: (oid: number, format?: string) => types.getTypeParser(relabel(oid), format),
          },
        }
      }
    }
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function')
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (err: unknown, result: unknown) => void
      args[callbackIndex] = (err: unknown, result: unknown) => {
        if (!err) relabelFields(result)
        callback(err, result)
      }
      return query.apply(this, args)
    }
    const returned = query.apply(this, args)
    if (returned instanceof Promise) {
      return returned.then((result: unknown) => {
        relabelFields(result)
        return result
      })
    }
    return returned
  }
}
