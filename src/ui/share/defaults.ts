import type { StrategyDocument } from '../../schema/index.ts';
import { SettingsSchema } from '../../schema/settings.ts';
import type { Draft } from '../doc/draft.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A parsed document as the user would have written it: settings that equal the schema's defaults are left
 * out (nested fee and slippage fields one by one). Parsing the result gives the same document, so a link's
 * run is unchanged, but the settings form shows its placeholders ("/share 0") instead of written zeros.
 */
export function withoutSettingDefaults(doc: StrategyDocument): Draft {
  const defaults: Record<string, unknown> = SettingsSchema.parse({ universe: doc.settings.universe });
  const settings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.settings)) {
    const d = defaults[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && d !== null && typeof d === 'object') {
      const kept = Object.fromEntries(Object.entries(v).filter(([kk, vv]) => !same(vv, (d as Record<string, unknown>)[kk])));
      if (Object.keys(kept).length) settings[k] = kept;
    } else if (k === 'universe' || !same(v, d)) settings[k] = v;
  }
  return { ...doc, settings } as Draft;
}
