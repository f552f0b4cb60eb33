// Who is signed in: the person, their role, time zone and reps, read once from `GET /api/v1/me` and
// shared by the pages; signing out ends the session on the server and forgets every answer the app kept.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { navigate } from 'wouter/use-browser-location';
import { setViewerTimeZone } from '../components/format';
import { ApiError, answer, api } from './client';
import type { Reply } from './types';

export type SignedInPerson = NonNullable<Reply<'/api/v1/me'>['person']>;
export type Role = SignedInPerson['role'];

export const sessionKey = ['me'] as const;

export function useViewer() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<SignedInPerson> => {
      const me = await answer(api.GET('/api/v1/me'));
      if (me.person === null) {
        throw new ApiError(401, 'The app is for people signed in as themselves, not for an admin token.', []);
      }
      setViewerTimeZone(me.person.timezone);
      return me.person;
    },
    staleTime: 5 * 60_000,
  });
}

/** A name to greet and list people by: their name, else their e-mail. */
export function nameOf(person: { readonly name?: string | null; readonly email: string }): string {
  return person.name ?? person.email;
}

export function useSignOut() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => answer(api.DELETE('/api/v1/sessions/current')),
    onSettled: () => {
      queries.clear();
      navigate('/sign-in', { replace: true });
    },
  });
}
