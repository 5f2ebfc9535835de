"""The distributed sequencer network (Narwhal + Bullshark), its APIs, the sequencer and tools."""
