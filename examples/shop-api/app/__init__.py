"""Northwind Goods shop backend."""
