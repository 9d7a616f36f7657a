import type { Chart } from '../chart/types.js';
import type { Values } from '../render/coalesce.js';
import type { Release } from '../release/types.js';
import type { PlannedChange, ValueChange } from './plan.js';

/** Options of install/upgrade, named as Sveltos' HelmOptions expose them. */
export interface ChartActionOptions {
  releaseName: string;
  namespace: string;
  chart: Chart;
  /** User-supplied values (Helm's `config`). */
  values?: Values;
  createNamespace?: boolean;
  /** Install over a release whose last revision is uninstalled or failed. */
  replace?: boolean;
  disableHooks?: boolean;
  /** Adopt existing objects and releases not installed by this owner. */
  takeOwnership?: boolean;
  /** Replace objects that cannot be updated in place; upgrade even when nothing changed. */
  force?: boolean;
  resetValues?: boolean;
  /** Helm 3 `--reuse-values`: the deployed release's user values under the new ones. */
  reuseValues?: boolean;
  /** Helm `--reset-then-reuse-values`: new chart defaults, then the deployed user values, then the new ones (same as reuseValues here: chart defaults always come from the new chart). */
  resetThenReuseValues?: boolean;
  /**
   * Sveltos installOptions: after this many failed installs of a release that was never
   * deployed, its history is deleted and the install starts again at revision 1 (default 5; 0 = never).
   */
  recoverAfterConsecutiveFailures?: number;
  /** Run the chart's `test` hooks after install/upgrade; a failing test fails the action (Sveltos runTests). */
  runTests?: boolean;
  /** Render subcharts' NOTES.txt too. */
  subNotes?: boolean;
  /** Delete objects created by a failed upgrade. */
  cleanupOnFail?: boolean;
  /** Apply `crds/` even when the CRDs exist. */
  upgradeCRDs?: boolean;
  skipCRDs?: boolean;
  /** Keep at most this many revisions (0 = unlimited). */
  maxHistory?: number;
  /** Roll back (upgrade) or uninstall (install) when the action fails. */
  atomic?: boolean;
  dryRun?: boolean;
  description?: string;
  /** Custom labels on the release records. */
  labels?: Record<string, string>;
  skipSchemaValidation?: boolean;
  /**
   * Helm's post-renderer: receives the rendered manifests (hooks excluded, as Helm does) and
   * returns what is applied and stored as the release manifest. A throw fails the action.
   */
  postRender?: (manifest: string) => string;
}

export type ActionOutcome =
  | 'installed'
  | 'upgraded'
  | 'unchanged'
  | 'rolled-back'
  | 'uninstalled'
  | 'dry-run';

export interface ActionResult {
  outcome: ActionOutcome;
  release?: Release;
  /** Dry-run: the objects that would be created, updated or deleted. */
  changes?: PlannedChange[];
  /** Dry-run: user value differences against the deployed release. */
  valueChanges?: ValueChange[];
  /** Names of the hooks run, in order. */
  hooksRun: string[];
  warnings: string[];
}
