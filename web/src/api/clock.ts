// What time it is for Tend: the business clock, which a demo or a test may hold at a day of its story
// (TEND_CLOCK=manual). Deadlines and "overdue" are measured against it, not the browser's clock.
import { useQuery } from '@tanstack/react-query';
import { answer, api } from './client';

export function useBusinessNow(): Date {
  const clock = useQuery({
    queryKey: ['clock'],
    queryFn: async () => {
      const reading = await answer(api.GET('/api/v1/clock'));
      // A system clock goes on; remember how far it was from this browser's, and follow this one.
      return { kind: reading.kind, offset: new Date(reading.now).getTime() - Date.now() };
    },
    staleTime: 60_000,
  });
  return new Date(Date.now() + (clock.data?.offset ?? 0));
}
