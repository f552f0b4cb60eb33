// An account's conversations on its page: who there wrote in, who still waits and how long, each a link
// to its thread; the whole list on `/conversations?accountId=`.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import { customerName, isLate, statusWords } from './conversation-words';
import { QueryState } from './query-state';

const shown = 5;

export function AccountConversations({ accountId, accountName }: { accountId: string; accountName: string }) {
  const conversations = useQuery({
    queryKey: ['conversations', 'account', accountId],
    queryFn: () => answer(api.GET('/api/v1/conversations', { params: { query: { accountId, limit: shown } } })),
  });
  return (
    <QueryState query={conversations} what="conversations">
      {(list) =>
        list.conversations.length === 0 ? (
          <p>Nobody at {accountName} has written in yet: their replies and texts would be here.</p>
        ) : (
          <>
            <ul aria-label={`Conversations with ${accountName}`}>
              {list.conversations.map((conversation) => (
                <li key={conversation.id}>
                  <Link href={`/conversations/${conversation.id}`}>{customerName(conversation)}</Link>{' '}
                  <span className={isLate(conversation) ? 'tag severe' : 'tag'}>{statusWords(conversation)}</span>
                </li>
              ))}
            </ul>
            {list.next !== null && (
              <p>
                <Link href={`/conversations?accountId=${encodeURIComponent(accountId)}`}>
                  All conversations with {accountName}
                </Link>
              </p>
            )}
          </>
        )
      }
    </QueryState>
  );
}
