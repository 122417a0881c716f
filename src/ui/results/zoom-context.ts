import { createContext } from 'react';

/**
 * The zoom group of the charts below a provider (the results page: equity, drawdown, prices, volume, series):
 * they all show one time range. Without a provider a chart zooms with the charts of its own sync key.
 */
export const ZoomGroupContext = createContext<string | null>(null);
