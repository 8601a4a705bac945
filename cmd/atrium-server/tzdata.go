package main

// Time zones must validate where the server runs without a zoneinfo database
// (slim containers): the server carries its own copy (~0.4 MB).
import _ "time/tzdata"
