"""Planning, pure: diff desired against live, pack change sets into waves, render."""
