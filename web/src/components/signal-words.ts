// The signals Tend raises, in words a rep uses. The kinds and their labels come from the API
// (GET /api/v1/signal-kinds, from Tend's registry of signals), so a new kind needs no change here.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { answer, api } from '../api/client';
import type { Query } from '../api/types';

export type SignalKind = NonNullable<Query<'/api/v1/accounts'>['signal']>;

export interface SignalWords {
  /** Every kind, in the order an account lists its signals; empty until the labels have come. */
  readonly kinds: readonly SignalKind[];
  /** Whether the labels have come (until then `word` answers the kind itself). */
  readonly ready: boolean;
  /** A kind in words; the kind itself for one this Tend does not know. */
  readonly word: (kind: string) => string;
}

export function useSignalWords(): SignalWords {
  // The kinds change only with a new version of Tend: read once per visit.
  const query = useQuery({
    queryKey: ['signal-kinds'],
    queryFn: () => answer(api.GET('/api/v1/signal-kinds')),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const listed = query.data?.kinds;
  return useMemo(() => {
    const labels = new Map<string, string>(listed?.map(({ kind, label }) => [kind, label]));
    return {
      kinds: listed?.map(({ kind }) => kind) ?? [],
      ready: listed !== undefined,
      word: (kind: string) => labels.get(kind) ?? kind,
    };
  }, [listed]);
}
