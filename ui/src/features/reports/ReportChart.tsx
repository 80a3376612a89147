// A report section's chart, drawn from its table as the core describes it: the rows along the category axis,
// labelled by one column, one series per listed column. ECharts, tree-shaken and in SVG as on the dashboard.
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { BarChart, LineChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { Chart } from '../../bindings/Chart';
import type { Section } from '../../bindings/Section';
import { cssVar, useThemeVersion } from '../../lib/theme';
import { formatValue } from './values';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

/** The series' colours, in order: distinct in the light and the dark theme. */
export const SERIES_COLORS = ['#2f5bd3', '#e08a1e', '#2e9d5b', '#d0453a', '#8e5bd0', '#1f9bb0', '#7a8696'];

/** The chart's categories and series, as the core's column indexes say (a value that is not a number: none). */
export function chartData(chart: Chart, section: Section, lang: string) {
  const categoryKind = section.columns[chart.category]?.kind ?? 'text';
  const categories = section.rows.map((r) => formatValue(r[chart.category], categoryKind, lang));
  const series = chart.series.map((i) => ({
    name: section.columns[i]?.label ?? '',
    kind: section.columns[i]?.kind ?? 'count',
    data: section.rows.map((r) => (typeof r[i] === 'number' ? r[i] : null)),
  }));
  return { categories, series };
}

export function ReportChart({ chart, section }: { chart: Chart; section: Section }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const ref = useRef<HTMLDivElement>(null);
  const instance = useRef<echarts.ECharts | null>(null);
  const theme = useThemeVersion();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Sized by its box, so it follows the window; a box without a size (jsdom) gets one.
    const made = echarts.init(el, null, { renderer: 'svg', ...(el.clientWidth ? {} : { width: 640, height: 280 }) });
    instance.current = made;
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => made.resize());
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      made.dispose();
      instance.current = null;
    };
  }, []);

  useEffect(() => {
    const made = instance.current;
    const el = ref.current;
    if (!made || !el) return;
    const text = cssVar('--text-muted', '#5f6b7a');
    const grid = cssVar('--border', '#dfe3e8');
    const { categories, series } = chartData(chart, section, lang);
    const percent = series.length > 0 && series.every((s) => s.kind === 'percent');
    const many = categories.length > 6;
    const width = el.clientWidth || 640;
    const option: Option = {
      animation: false,
      color: SERIES_COLORS,
      grid: { left: 8, right: 8, top: series.length > 1 ? 36 : 12, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      legend: series.length > 1 ? { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { color: text } } : { show: false },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        formatter: (params) => {
          const items = Array.isArray(params) ? params : [params];
          const index = items[0]?.dataIndex ?? 0;
          const lines = items.map((p) => {
            const s = series[p.seriesIndex ?? 0];
            return `${s?.name ?? ''}: ${formatValue(typeof p.value === 'number' ? p.value : null, s?.kind ?? 'count', lang)}`;
          });
          return [categories[index] ?? '', ...lines].join('\n');
        },
      },
      xAxis: {
        type: 'category',
        data: categories,
        axisLabel: {
          color: text,
          interval: 0,
          rotate: many ? 30 : 0,
          width: many ? 140 : Math.max(60, (width - 60) / Math.max(categories.length, 1) - 12),
          overflow: 'truncate',
        },
        axisLine: { lineStyle: { color: grid } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        minInterval: series.every((s) => s.kind === 'count') ? 1 : undefined,
        axisLabel: { color: text, formatter: (v: number) => formatValue(v, percent ? 'percent' : 'number', lang) },
        splitLine: { lineStyle: { color: grid } },
      },
      series: series.map((s): BarSeriesOption | LineSeriesOption =>
        chart.kind === 'line'
          ? { type: 'line', name: s.name, data: s.data, symbolSize: 6, connectNulls: false }
          : { type: 'bar', name: s.name, data: s.data, barMaxWidth: 28, ...(chart.kind === 'stacked_bar' ? { stack: 'total' } : {}) },
      ),
    };
    made.setOption(option, { notMerge: true });
  }, [chart, section, lang, theme]);

  return <div ref={ref} className="chart report-chart" role="img" aria-label={chart.title} data-testid="report-chart" />;
}

export default ReportChart;
