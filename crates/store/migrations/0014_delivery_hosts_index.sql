-- Deliveries are moved by host (a breaker opening, a host heard from again).
CREATE INDEX deliveries_host ON deliveries (host);
