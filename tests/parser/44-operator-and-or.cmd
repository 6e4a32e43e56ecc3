md dist && echo made
md dist || echo failed
md dist && echo made || echo failed
