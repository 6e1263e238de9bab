"""Appeals: registration, routing, deadlines, incidents, resident answers."""
