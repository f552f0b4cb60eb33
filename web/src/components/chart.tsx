// The app's one ECharts wrapper: only the chart types and parts the pages use are imported (so a page
// without charts loads none of it), drawn on a canvas; each chart comes with its numbers as a table,
// its text alternative for people who cannot see it.
import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  ScatterChart,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type ReactNode, useEffect, useRef } from 'react';

use([
  LineChart,
  BarChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

/** Colours that keep their contrast on white, told apart by more than hue where it matters. */
export const chartColours = ['#1f6f50', '#8a5a00', '#2f5596', '#a23b3b', '#5f5f5f'];

export function Chart(props: {
  /** What the chart shows, in a sentence: its caption and the canvas's name for screen readers. */
  title: string;
  option: ChartOption;
  /** The same numbers as a table: shown on request, always there for screen readers. */
  table: ReactNode;
  height?: number;
}) {
  const { title, option, table, height = 260 } = props;
  const canvasHolder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = canvasHolder.current;
    if (element === null) return;
    const chart = init(element, null, { renderer: 'canvas' });
    // Tooltips drawn in the canvas, not as HTML with style attributes (the CSP allows none).
    chart.setOption({ color: chartColours, animation: false, tooltip: { renderMode: 'richText' }, ...option });
    const resized = new ResizeObserver(() => chart.resize());
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.dispose();
    };
  }, [option]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div
        ref={canvasHolder}
        className="chart-canvas"
        role="img"
        aria-label={`${title}. The numbers are in the table below.`}
        style={{ height }}
      />
      <details className="chart-numbers">
        <summary>The numbers behind this chart</summary>
        {table}
      </details>
    </figure>
  );
}
