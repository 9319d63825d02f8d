"""One presentation for every face: numbers, durations, times, JSON values, export names and record shapes."""
