import { labelSelectorFromObject } from '../../engine/selector/index.js';

/** `metav1.LabelSelectorAsSelector(sel).String()`, or `<invalid>` when the selector is invalid. */
export function selectorToString(sel: unknown): string {
  try {
    return labelSelectorFromObject(sel as any, { emptyMatches: 'everything' }).toString();
  } catch {
    return '<invalid>';
  }
}
