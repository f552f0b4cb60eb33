// People's names by e-mail, for pages that name reps and sellers: a manager knows their own reps, an admin's
// company comes from the list of people (read only for an admin, who may see it).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { answer, api } from '../api/client';
import { nameOf, type SignedInPerson } from '../api/session';

export function usePeopleNames(viewer: SignedInPerson): ReadonlyMap<string, string> {
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => answer(api.GET('/api/v1/users')),
    enabled: viewer.role === 'admin',
  });
  return useMemo(() => {
    const known = [viewer, ...viewer.reps, ...(users.data?.users ?? [])];
    return new Map(known.map((person) => [person.email, nameOf(person)]));
  }, [viewer, users.data]);
}

/**
 * A flag's words with the seller called by name: the API names a seller it knows as a user, else writes
 * their e-mail, which a manager may know by a name from their own list.
 */
export function flagInWords(
  flag: { readonly seller: string; readonly name: string | null; readonly words: string },
  names: ReadonlyMap<string, string>,
): string {
  const name = names.get(flag.seller);
  return flag.name === null && name !== undefined ? flag.words.replaceAll(flag.seller, name) : flag.words;
}
