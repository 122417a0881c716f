/**
 * The embedded S&P 500 daily series the data layer ships with. One constant so that renaming the series
 * touches one line.
 */
export const DEFAULT_SYMBOL = 'SPX';

/** The template a first visit opens, with its universe switched to DEFAULT_SYMBOL (data that is always there). */
export const DEFAULT_TEMPLATE = 'sma-cross.json';
