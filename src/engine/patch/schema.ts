/**
 * What the strategic merge patch needs to know about a kind: per field its patch strategy
 * (`merge`, `replace`, `retainKeys`, combinations) and merge key. The API server's SchemaNode is
 * structurally one of these; `swagger-schema.ts` builds them from the Kubernetes OpenAPI v2.
 */
export interface PatchSchema {
  readonly properties?: Readonly<Record<string, PatchSchema>>;
  readonly additionalProperties?: PatchSchema | boolean;
  readonly items?: PatchSchema;
  readonly patchStrategy?: string;
  readonly patchMergeKey?: string;
}

/** Patch metadata of kinds by group (core is ''), version and kind; undefined = no metadata. */
export interface PatchSchemaProvider {
  forKind(group: string, version: string, kind: string): PatchSchema | undefined;
}

/** A provider that knows no kind: lists are replaced, maps merged (JSON merge patch semantics). */
export const noPatchSchemas: PatchSchemaProvider = { forKind: () => undefined };

/** The provider's schema for an object's `apiVersion` and `kind`. */
export function schemaForObject(
  provider: PatchSchemaProvider,
  obj: { apiVersion?: unknown; kind?: unknown },
): PatchSchema | undefined {
  const av = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const i = av.indexOf('/');
  const group = i < 0 ? '' : av.slice(0, i);
  const version = i < 0 ? av : av.slice(i + 1);
  return provider.forKind(group, version, typeof obj.kind === 'string' ? obj.kind : '');
}
