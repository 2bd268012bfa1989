// A shared object that is not a design plugin, for the test that npufi refuses one (design_test.cpp).
extern "C" int npufi_test_not_a_plugin() { return 1; }
