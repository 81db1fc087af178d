def test_send_message(chat):
    sent = chat.send("hello")
    assert sent["text"] == "hello"
    assert "hello" in chat.history()


def test_send_twice(chat):
    chat.send("one")
    chat.send("two")
    assert len(chat.history()) >= 1


def test_history_is_ordered(chat):
    assert chat.history() == ["hello", "again"]
