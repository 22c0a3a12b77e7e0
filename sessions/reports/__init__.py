"""What leaders and members read: summaries, a member's record, exports, the
annual report and its charts. Reads members and sessions; writes nothing.
"""
