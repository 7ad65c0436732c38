#include "app/cli.h"

int main(int argc, char **argv)
{
    return cr::app::run(argc, argv);
}
