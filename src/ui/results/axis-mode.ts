import { createContext, useState } from 'react';

/** Whether the results' charts compress nights and weekends (x counts bars) or show plain time. */
export interface AxisMode {
  compress: boolean;
  setCompress: (on: boolean) => void;
}

export const AxisModeContext = createContext<AxisMode>({ compress: false, setCompress: () => {} });

const KEY = 'backtester.chart.compress';

/** The results page's axis mode, remembered on this device. */
export function useAxisMode(): AxisMode {
  const [compress, set] = useState(() => typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === '1');
  const setCompress = (on: boolean) => {
    set(on);
    try { localStorage.setItem(KEY, on ? '1' : '0'); } catch { /* private mode: the choice lasts this page */ }
  };
  return { compress, setCompress };
}
