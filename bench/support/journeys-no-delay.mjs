// Preloaded into `tend start` by `npm run bench:journeys -- --smtp-no-delay` (NODE_OPTIONS=--import):
// turns Nagle's algorithm off on every socket the process opens, to measure what Tend's sends would
// be without the 40 ms stall per e-mail that Nagle plus the server's delayed ACK cause on nodemailer's
// pooled SMTP connections. pg already sets it on its own sockets, so only SMTP changes. A what-if,
// not Tend as shipped.
import net from 'node:net';

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connectWithoutNagle(...args) {
  this.setNoDelay(true);
  return connect.apply(this, args);
};
