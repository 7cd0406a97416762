package io.siyu.platform.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the person who started Siyu where it is, once it is ready to serve. */
@Component
class ReadyBanner {

    private static final Logger log = LoggerFactory.getLogger(ReadyBanner.class);

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            int port = web.getWebServer().getPort();
            log.info("""

                    ==================================================================
                      Siyu is ready:  http://localhost:{}
                      API docs:       http://localhost:{}/swagger-ui.html
                      Health:         http://localhost:{}/actuator/health
                    ==================================================================""", port, port, port);
        }
    }
}
