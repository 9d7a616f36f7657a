import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

// Runs the real CLI (bin/flotilla.js over dist/, built by `npx tsc -p .`).
const root = new URL('../../', import.meta.url).pathname.replace(/\/dist\/$/, '/');
const dir = mkdtempSync(join(tmpdir(), 'flotilla-template-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function flotilla(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/flotilla.js'), ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flotilla template render', () => {
  it('renders a template with JSON data (int64 numbers, sprig functions)', () => {
    const t = write(
      'svc.tmpl',
      'name: {{.metadata.name | upper}}\nport: {{.spec.port}} {{printf "%T" .spec.port}}\n',
    );
    const d = write('svc.json', JSON.stringify({ metadata: { name: 'web' }, spec: { port: 8080 } }));
    const r = flotilla('template', 'render', t, '--data', d);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, 'name: WEB\nport: 8080 int64\n');
  });

  it('renders with YAML data in Helm mode (float64 numbers, <no value> removed)', () => {
    const t = write(
      'helm.tmpl',
      'replicas: {{.replicas}}{{.missing}} big: {{.big}}\n{{- include "x" . }}{{define "x"}} ok{{end}}',
    );
    const d = write('values.yaml', 'replicas: 3\nbig: 1000000\n');
    const r = flotilla('template', 'render', t, '--data', d, '--helm');
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'replicas: 3 big: 1e+06 ok');
  });

  it('fails with the Go error on stderr and exit status 1', () => {
    const t = write('bad.tmpl', 'a\n  {{.spec.nope}}');
    const d = write('d.json', '{"spec": {}}');
    const r = flotilla('template', 'render', t, '--data', d, '--missingkey', 'error');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^template: bad\.tmpl:2:9: executing "bad\.tmpl" at <\.spec\.nope>: map has no entry for key "nope"/,
    );
  });

  it('rejects bad flags with exit status 2', () => {
    const t = write('ok.tmpl', 'x');
    assert.equal(flotilla('template', 'render', t, '--numbers', 'int32').status, 2);
    assert.equal(flotilla('template', 'render', join(dir, 'absent.tmpl')).status, 2);
  });
});
