/**
 * `/openapi/v2` as protocol buffers (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`),
 * the only form kubectl and client-go request (`DiscoveryClient.OpenAPISchema`), encoded as
 * gnostic's `openapi.v2.Document`. Extension and example values are carried in `Any.yaml`; JSON
 * is valid YAML, so they are written as JSON.
 */
import { ProtoWriter } from './proto-writer.js';

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type J = Record<string, any>;

function any(w: ProtoWriter, field: number, v: unknown): void {
  w.message(field, (a) => a.string(2, `${JSON.stringify(v)}\n`));
}

function extensions(w: ProtoWriter, field: number, o: J): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    w.message(field, (n) => {
      n.string(1, k);
      any(n, 2, v);
    });
  }
}

function schema(w: ProtoWriter, s: J): void {
  w.string(1, s.$ref);
  w.string(2, s.format);
  w.string(3, s.title);
  w.string(4, s.description);
  if (s.default !== undefined) any(w, 5, s.default);
  w.double(6, s.multipleOf);
  w.double(7, s.maximum);
  w.bool(8, s.exclusiveMaximum);
  w.double(9, s.minimum);
  w.bool(10, s.exclusiveMinimum);
  w.int64(11, s.maxLength);
  w.int64(12, s.minLength);
  w.string(13, s.pattern);
  w.int64(14, s.maxItems);
  w.int64(15, s.minItems);
  w.bool(16, s.uniqueItems);
  w.int64(17, s.maxProperties);
  w.int64(18, s.minProperties);
  w.strings(19, s.required);
  for (const e of s.enum ?? []) any(w, 20, e);
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(21, (a) => {
      if (typeof ap === 'boolean') a.boolAlways(2, ap);
      else a.message(1, (x) => schema(x, ap));
    });
  }
  if (s.type !== undefined) w.message(22, (t) => t.strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? s.items : [s.items];
    w.message(23, (it) => {
      for (const i of items) it.message(1, (x) => schema(x, i));
    });
  }
  for (const a of s.allOf ?? []) w.message(24, (x) => schema(x, a));
  if (s.properties !== undefined) {
    w.message(25, (p) => {
      for (const [name, child] of Object.entries<J>(s.properties)) {
        p.message(1, (n) => {
          n.string(1, name);
          n.message(2, (x) => schema(x, child));
        });
      }
    });
  }
  w.string(26, s.discriminator);
  w.bool(27, s.readOnly);
  if (s.example !== undefined) any(w, 30, s.example);
  extensions(w, 31, s);
}

/** A non-body parameter: header (1), formData (2), query (3) or path (4) sub-schema. */
function nonBody(w: ProtoWriter, p: J): void {
  const sub = { header: 1, formData: 2, query: 3, path: 4 }[p.in as string] ?? 3;
  const queryLike = sub === 2 || sub === 3; // these have allow_empty_value (5), shifting the rest by one
  const o = queryLike ? 1 : 0;
  w.message(sub, (s) => {
    s.bool(1, p.required);
    s.string(2, p.in);
    s.string(3, p.description);
    s.string(4, p.name);
    if (queryLike) s.bool(5, p.allowEmptyValue);
    s.string(5 + o, p.type);
    s.string(6 + o, p.format);
    s.string(8 + o, p.collectionFormat);
    if (p.default !== undefined) any(s, 9 + o, p.default);
    s.bool(19 + o, p.uniqueItems);
    extensions(s, 22 + o, p);
  });
}

function parameter(w: ProtoWriter, p: J): void {
  if (p.in === 'body') {
    w.message(1, (b) => {
      b.string(1, p.description);
      b.string(2, p.name);
      b.string(3, p.in);
      b.bool(4, p.required);
      if (p.schema) b.message(5, (x) => schema(x, p.schema));
      extensions(b, 6, p);
    });
  } else w.message(2, (nb) => nonBody(nb, p));
}

function parametersItem(w: ProtoWriter, field: number, p: J): void {
  w.message(field, (pi) => {
    if (typeof p.$ref === 'string') pi.message(2, (r) => r.string(1, p.$ref).string(2, p.description));
    else pi.message(1, (x) => parameter(x, p));
  });
}

function operation(w: ProtoWriter, op: J): void {
  w.strings(1, op.tags);
  w.string(2, op.summary);
  w.string(3, op.description);
  w.string(5, op.operationId);
  w.strings(6, op.produces);
  w.strings(7, op.consumes);
  for (const p of op.parameters ?? []) parametersItem(w, 8, p);
  if (op.responses) {
    w.message(9, (rs) => {
      for (const [code, r] of Object.entries<J>(op.responses)) {
        rs.message(1, (n) => {
          n.string(1, code);
          n.message(2, (rv) => {
            if (typeof r.$ref === 'string') rv.message(2, (x) => x.string(1, r.$ref));
            else
              rv.message(1, (resp) => {
                resp.string(1, r.description);
                if (r.schema) resp.message(2, (si) => si.message(1, (x) => schema(x, r.schema)));
                extensions(resp, 5, r);
              });
          });
        });
      }
    });
  }
  w.strings(10, op.schemes);
  w.bool(11, op.deprecated);
  extensions(w, 13, op);
}

const METHODS: [string, number][] = [
  ['get', 2],
  ['put', 3],
  ['post', 4],
  ['delete', 5],
  ['options', 6],
  ['head', 7],
  ['patch', 8],
];

/** Encodes an OpenAPI v2 document (as built by `buildOpenAPIV2`) as an `openapi.v2.Document`. */
export function encodeOpenAPIV2(doc: J): Uint8Array {
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  if (doc.info)
    w.message(2, (i) =>
      i.string(1, doc.info.title).string(2, doc.info.version).string(3, doc.info.description),
    );
  w.message(8, (ps) => {
    for (const [path, item] of Object.entries<J>(doc.paths ?? {})) {
      ps.message(2, (n) => {
        n.string(1, path);
        n.message(2, (pi) => {
          pi.string(1, item.$ref);
          for (const [m, f] of METHODS) if (item[m]) pi.message(f, (x) => operation(x, item[m]));
          for (const p of item.parameters ?? []) parametersItem(pi, 9, p);
          extensions(pi, 10, item);
        });
      });
    }
  });
  w.message(9, (ds) => {
    for (const [name, def] of Object.entries<J>(doc.definitions ?? {})) {
      ds.message(1, (n) => {
        n.string(1, name);
        n.message(2, (x) => schema(x, def));
      });
    }
  });
  if (doc.parameters) {
    w.message(10, (pd) => {
      for (const [name, p] of Object.entries<J>(doc.parameters)) {
        pd.message(1, (n) => {
          n.string(1, name);
          n.message(2, (x) => parameter(x, p));
        });
      }
    });
  }
  for (const req of doc.security ?? []) {
    w.message(12, (sr) => {
      for (const [name, scopes] of Object.entries<string[]>(req)) {
        sr.message(1, (n) => {
          n.string(1, name);
          n.message(2, (sa) => sa.strings(1, scopes));
        });
      }
    });
  }
  if (doc.securityDefinitions) {
    w.message(13, (sd) => {
      for (const [name, def] of Object.entries<J>(doc.securityDefinitions)) {
        sd.message(1, (n) => {
          n.string(1, name);
          n.message(2, (item) => {
            if (def.type === 'apiKey') {
              item.message(2, (k) =>
                k.string(1, def.type).string(2, def.name).string(3, def.in).string(4, def.description),
              );
            } else if (def.type === 'basic') {
              item.message(1, (b) => b.string(1, def.type).string(2, def.description));
            }
          });
        });
      }
    });
  }
  extensions(w, 16, doc);
  return w.finish();
}
