import type { ClusterExplanation, ProfileExplanation } from './explain-types.js';

function clusterLines(c: ClusterExplanation): string[] {
  const lines = [`cluster ${c.cluster} (${c.clusterType}): ${c.verdict}`, `  why: ${c.reason}`];
  const sel = c.selection;
  if (sel.byClusterRef) lines.push('  selection: named in clusterRefs');
  if (sel.bySet) lines.push(`  selection: selected by set ${sel.bySet} (setRefs)`);
  for (const t of sel.selector.terms)
    lines.push(`  selector ${t.term}: ${t.matched ? 'matches' : 'does not match'} (${t.reason})`);
  if (c.clusterStatus) {
    const s = c.clusterStatus;
    lines.push(
      `  cluster: ready=${s.ready} paused=${s.paused}${s.connectionStatus ? ` connection=${s.connectionStatus}` : ''}${s.failureMessage ? ` failure=${JSON.stringify(s.failureMessage)}` : ''}`,
    );
  }
  for (const d of c.dependencies) lines.push(`  dependsOn ${d.profile}: ${d.status}`);
  if (c.clusterSummary) lines.push(`  ClusterSummary ${c.clusterSummary}`);
  for (const f of c.features) {
    let line = `  feature ${f.featureID}: ${f.status}`;
    if (f.consecutiveFailures > 0) line += ` (${f.consecutiveFailures} consecutive failures)`;
    lines.push(line);
    if (f.location) {
      const l = f.location;
      const parts = [
        l.object,
        l.key && `key ${l.key}`,
        l.line !== undefined && `line ${l.line}`,
        l.column !== undefined && `column ${l.column}`,
      ];
      lines.push(`    at ${parts.filter(Boolean).join(', ')}`);
    }
    if (f.owner) lines.push(`    owned by ${f.owner.kind} ${f.owner.name} (tier ${f.owner.tier})`);
    if (f.failureMessage)
      lines.push(`    ${f.failureReason ? `${f.failureReason}: ` : ''}${f.failureMessage}`);
  }
  for (const h of c.helmConflicts) lines.push(`  helm release ${h.release}: Conflict ${h.message}`);
  if (c.summaryFailure) lines.push(`  failure: ${c.summaryFailure}`);
  return lines;
}

/** The human-readable explanation printed by `flotilla explain profile`. */
export function formatExplanation(e: ProfileExplanation): string {
  const id = e.namespace ? `${e.kind} ${e.namespace}/${e.name}` : `${e.kind} ${e.name}`;
  const head = [
    `${id}: syncMode ${e.syncMode}, tier ${e.tier}${e.paused ? ', paused' : ''}${e.dependsOn.length ? `, dependsOn ${e.dependsOn.join(', ')}` : ''}`,
  ];
  if (e.clusters.length === 0)
    head.push('no clusters to explain: none is registered (flotilla register cluster)');
  return `${[...head, ...e.clusters.flatMap((c) => ['', ...clusterLines(c)])].join('\n')}\n`;
}
