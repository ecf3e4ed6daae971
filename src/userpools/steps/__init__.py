"""Steps that several operations share (and the web pages, which call the same steps): the context every
handler is given, lookups, aliases, codes, messages, triggers, pagination, sealing, follow-up writes, user
migration, session tracking, pool logs, imports and point-in-time restores. Nothing here registers an
operation; userpools.operations holds the modules that do, one per API group."""
