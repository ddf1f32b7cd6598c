"""onsite"""
