"""constats"""
