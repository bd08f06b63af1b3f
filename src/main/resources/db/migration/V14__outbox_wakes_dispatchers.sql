-- The outbox announces itself: every statement that records events tells each listening
-- instance at commit (PostgreSQL delivers a notification only when its transaction commits, and
-- never from one that rolls back), so dispatchers sleep until there is work instead of polling.
CREATE FUNCTION notify_events_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('statusdesk_outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER notify_events_recorded AFTER INSERT ON notify_events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_events_recorded();
