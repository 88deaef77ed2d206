// ECharts with only the parts the dashboard draws (tree-shaken: the initial script stays
// small), and the colours of the page's theme.
import { use, init as initChart, connect, type ECharts } from 'echarts/core';
import { BarChart, GraphChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { locale } from './i18n';

use([
  BarChart,
  GraphChart,
  LineChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { connect, type ECharts };

// A chart in the page's language (the time axis's month and day names): ECharts' own locale
// would follow the browser's.
export function init(el: HTMLElement): ECharts {
  return initChart(el, undefined, { locale: locale.value === 'en' ? 'EN' : 'ZH' });
}

export function themeColor(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}
