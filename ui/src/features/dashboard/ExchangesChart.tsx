// The dashboard's bar chart: exchanges in and out per academic year, stacked by zone. ECharts, tree-shaken
// (bars, grid, tooltip, legend) and drawn in SVG: no eval, no inline <style>; the tooltip is drawn inside the
// SVG too ("richText"), not as HTML. Clicking a bar opens the exchanges of that zone, direction and year.
import type { BarSeriesOption } from 'echarts/charts';
import { BarChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { Direction } from '../../bindings/Direction';
import type { Rules } from '../../bindings/Rules';
import type { YearFigures } from '../../bindings/YearFigures';
import type { Zone } from '../../bindings/Zone';
import { academicYearLabel } from '../../lib/enums';
import { useRules } from '../../lib/rules';
import { cssVar, useThemeVersion } from '../../lib/theme';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

/** One colour per zone: its incoming bars' (its outgoing bars are a lighter tint of it, `barColor`). */
export const ZONE_COLORS: Record<Zone, string> = {
  france_europe: '#2f5bd3',
  china: '#d0453a',
  japan: '#8e5bd0',
  brazil: '#2e9d5b',
  canada: '#e08a1e',
  other: '#7a8696',
};

/**
 * A bar's colour: the zone's for incoming exchanges, a lighter tint of it for outgoing ones. A tint, not
 * transparency: over the dark theme's background a translucent bar looks darker, not lighter.
 */
export function barColor(zone: Zone, direction: Direction): string {
  const hex = ZONE_COLORS[zone];
  if (direction === 'incoming') return hex;
  const tint = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16);
    return Math.round(c + (255 - c) * 0.45)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${tint(1)}${tint(3)}${tint(5)}`;
}

/** A bar's series id, "china|incoming", back to what it counts. */
export function barTarget(
  rules: Rules,
  seriesId: string,
  dataIndex: number,
  years: readonly number[],
): { zone: Zone; direction: Direction; year: number } | null {
  const [zone, direction] = seriesId.split('|');
  const year = years[dataIndex];
  if (!(rules.zones as string[]).includes(zone) || !(rules.directions as string[]).includes(direction) || year === undefined) return null;
  return { zone: zone as Zone, direction: direction as Direction, year };
}

export function ExchangesChart({
  figures,
  years,
  onOpen,
}: {
  figures: YearFigures[];
  /** The academic years on the axis, oldest first. */
  years: number[];
  onOpen: (target: { zone: Zone; direction: Direction; year: number }) => void;
}) {
  const rules = useRules();
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const open = useRef(onOpen);
  const axis = useRef(years);
  const theme = useThemeVersion();

  useEffect(() => {
    open.current = onOpen;
    axis.current = years;
  });

  // One chart per mount; sized by its box (and kept so).
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = echarts.init(el, null, { renderer: 'svg', width: el.clientWidth || 640, height: el.clientHeight || 300 });
    chart.current = instance;
    instance.on('click', (params) => {
      const target = barTarget(rules, String(params.seriesId ?? ''), params.dataIndex, axis.current);
      if (target) open.current(target);
    });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [rules]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const text = cssVar('--text-muted', '#5f6b7a');
    const grid = cssVar('--border', '#dfe3e8');
    const shown = rules.zones.filter((z) => figures.some((f) => f.zone === z && (f.incoming || f.outgoing)));
    const series: BarSeriesOption[] = shown.flatMap((zone) =>
      rules.directions.map(
        (direction): BarSeriesOption => ({
          id: `${zone}|${direction}`,
          name: t(`enums.zone.${zone}`),
          type: 'bar',
          stack: direction,
          barMaxWidth: 22,
          cursor: 'pointer',
          itemStyle: { color: barColor(zone, direction) },
          emphasis: { focus: 'series' },
          data: years.map((y) => {
            const f = figures.find((x) => x.academic_year === y && x.zone === zone);
            return f ? f[direction] : 0;
          }),
        }),
      ),
    );
    const option: Option = {
      animation: false,
      grid: { left: 8, right: 8, top: 36, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { color: text } },
      tooltip: {
        trigger: 'item',
        renderMode: 'richText',
        formatter: (params) => {
          const p = Array.isArray(params) ? params[0] : params;
          const target = barTarget(rules, String(p.seriesId ?? ''), p.dataIndex, years);
          if (!target) return '';
          return `${t(`enums.zone.${target.zone}`)} · ${t(`enums.direction.${target.direction}`)}\n${academicYearLabel(target.year)}: ${new Intl.NumberFormat(i18n.language).format(Number(p.value ?? 0))}`;
        },
      },
      xAxis: {
        type: 'category',
        data: years.map((y) => academicYearLabel(y)),
        axisLabel: { color: text },
        axisLine: { lineStyle: { color: grid } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: text },
        splitLine: { lineStyle: { color: grid } },
      },
      series,
    };
    instance.setOption(option, { notMerge: true });
  }, [figures, years, t, i18n.language, theme, rules]);

  return <div ref={ref} className="chart" role="img" aria-label={t('dashboard.chartLabel')} data-testid="dashboard-chart" />;
}

export default ExchangesChart;
