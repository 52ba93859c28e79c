#include "pg.h"
int main(void) { return 0; }
