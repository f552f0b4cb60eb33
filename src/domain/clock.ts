// The one source of "now" for everything that decides by time, so that tests and demos can move it.
export interface Clock {
  now(): Date;
}
