/**
 * Helm's `.Files` (pkg/engine/files.go) as a template host object: Get, GetBytes, Glob,
 * AsConfig, AsSecrets, Lines. Glob patterns follow gobwas/glob with `/` as separator
 * (`*` stays within a path segment, `**` crosses them, `{a,b}`, `[...]`, `?`).
 */

import { bytesToBase64 } from '../../engine/template/funcs/encoding.js';
import { HOST, type HostMethod, type HostObject, NO_FIELD } from '../../engine/template/value.js';
import { toYaml } from '../../engine/template/yaml/to-yaml.js';
import { setOwn } from '../../lib/own-props.js';
import type { ChartFile } from '../chart/types.js';

const decoder = new TextDecoder();

/** Translates a gobwas-style glob to an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let i = 0;
  let inBraces = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i += 2;
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replaceAll('\\', '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      inBraces++;
      re += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      re += ')';
    } else if (c === ',' && inBraces > 0) re += '|';
    else if (c === '\\' && i + 1 < pattern.length) {
      i++;
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${re}$`);
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function method(params: HostMethod['params'], fn: (...args: unknown[]) => unknown): HostMethod {
  return { params, fn };
}

/** The `.Files` object over a chart's non-template files. */
export function filesObject(files: readonly ChartFile[]): HostObject {
  const byName = new Map(files.map((f) => [f.name, f.data]));
  const methods: Record<string, HostMethod> = {
    Get: method(['string'], (name) => {
      const d = byName.get(name as string);
      return d === undefined ? '' : decoder.decode(d);
    }),
    GetBytes: method(['string'], (name) => byName.get(name as string) ?? new Uint8Array()),
    Glob: method(['string'], (pattern) => {
      const re = globToRegExp(pattern as string);
      return filesObject(files.filter((f) => re.test(f.name)));
    }),
    AsConfig: method([], () => {
      if (files.length === 0) return '';
      const m: Record<string, string> = {};
      for (const f of files) setOwn(m, basename(f.name), decoder.decode(f.data));
      return toYaml(m, 'float64');
    }),
    AsSecrets: method([], () => {
      if (files.length === 0) return '';
      const m: Record<string, string> = {};
      for (const f of files) setOwn(m, basename(f.name), bytesToBase64(f.data));
      return toYaml(m, 'float64');
    }),
    Lines: method(['string'], (name) => {
      const d = byName.get(name as string);
      if (d === undefined) return [];
      let s = decoder.decode(d);
      if (s.endsWith('\n')) s = s.slice(0, -1);
      return s.split('\n');
    }),
  };
  return {
    [HOST]: true,
    goTypeName: () => 'engine.files',
    field: () => NO_FIELD,
    method: (name) => (Object.hasOwn(methods, name) ? methods[name] : undefined),
  };
}
