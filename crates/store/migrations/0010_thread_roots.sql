-- 0009 gave each existing reply its parent's id as thread; carry the root's id down the
-- chains instead, one level a pass (threads that existed then were shallow).
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
UPDATE statuses SET conversation_id = (SELECT p.conversation_id FROM statuses p WHERE p.id = statuses.in_reply_to_id)
WHERE in_reply_to_id IS NOT NULL AND EXISTS (SELECT 1 FROM statuses p WHERE p.id = statuses.in_reply_to_id);
