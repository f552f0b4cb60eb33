// What the sign-in API takes and answers: the signed-in person (`GET /api/v1/me`), a sign-in, a new
// password, one-time links. Fastify serializes with these (a field not declared is not sent, so a
// password hash can never leave) and /docs documents them.
import { type TSchema, Type } from '@fastify/type-provider-typebox';
import { maximumPasswordLength } from '../domain/sign-in-rules.js';
import { type UserRole, userRoles } from '../store/users.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Role = Type.Unsafe<UserRole>({ type: 'string', enum: [...userRoles] });

/** Passwords are checked for length by the route (with words a person can act on), not here. */
export const Password = Type.String({ maxLength: maximumPasswordLength });
export const EmailAddress = Type.String({ minLength: 1, maxLength: 320 });

export const Person = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Nullable(Type.String()),
    role: Role,
    timezone: Nullable(Type.String({ description: 'an IANA time zone, e.g. Europe/Paris' })),
    managerEmail: Nullable(Type.String()),
    hasPassword: Type.Boolean({ description: 'false: the person signs in by one-time link until they set one' }),
    disabled: Type.Boolean(),
    reps: Type.Array(Type.Object({ id: Type.String(), email: Type.String(), name: Nullable(Type.String()) }), {
      description: "a manager's reps; empty for others",
    }),
  },
  { title: 'Person' },
);

export const Me = Type.Object(
  {
    signedInWith: Type.Union([Type.Literal('session'), Type.Literal('admin-token')]),
    role: Role,
    person: Nullable(Person),
  },
  {
    title: 'Me',
    description: 'who is calling: a person by their session, or a script with an admin token (person null)',
  },
);

export const SignedIn = Type.Object({ person: Person }, { title: 'SignedIn' });

export const PasswordChanged = Type.Object(
  { person: Person, otherSessionsEnded: Type.Integer({ minimum: 0 }) },
  { title: 'PasswordChanged' },
);
