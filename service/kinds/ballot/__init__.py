"""Ballots (选票): laid out once, imposed n-up with cut marks, counterfoils and serials, and accounted for."""
