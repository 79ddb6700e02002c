// A Chart.js chart on a canvas, created once per configuration and destroyed with the component.
// Only the parts used are registered, so the bundle carries no unused chart types.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef, type ReactNode } from 'react';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#1f2933';
// Charts appear at once: no animation to wait for or to distract.
Chart.defaults.animation = false;

/** Colours with at least 3:1 contrast against white, told apart by more than hue alone. */
export const PALETTE = ['#1c5fa8', '#b5480b', '#2f7d32', '#7b3fa0', '#a3202b', '#52606d'];

export function ChartCanvas({
  config,
  label,
}: {
  config: ChartConfiguration;
  /** What the chart shows, for people who cannot see it (the numbers are in the table). */
  label: string;
}): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, ...config.options },
    });
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart-box">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
