/* devfs(8): being written */
int main(void);
int main(void) { return 1; }
