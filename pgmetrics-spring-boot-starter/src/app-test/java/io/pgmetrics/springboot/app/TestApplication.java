package io.pgmetrics.springboot.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that knows nothing of pgmetrics: the starter on its classpath does the rest. */
@SpringBootApplication
public class TestApplication {}
